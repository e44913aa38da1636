using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>The instance format on a made-up tiny instance (the real ones stay in ../shared/data, never copied here).</summary>
public sealed class MdrpInstanceReaderTests
{
    private const string Parameters = "meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\tmaximum click-to-door\tpay per order\tguaranteed pay per hour\n427\t4\t4\t40\t90\t10\t15\n";
    private const string Restaurants = "restaurant\tx\ty\nr1\t1000\t2000\nr2\t3000\t2500\n";
    private const string Orders = "order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1500\t2600\t10\tr1\t25\no2\t3200\t2900\t12\tr2\t30\n";
    private const string Couriers = "courier\tx\ty\ton_time\toff_time\nc1\t500\t700\t0\t90\n";

    [Fact]
    public void Reads_a_tiny_instance_from_files_in_a_temp_folder()
    {
        // The CLI reads files and hands Core their text; this goes through real files the same way.
        var folder = Directory.CreateTempSubdirectory("mdrp-reader-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, MdrpInstanceReader.ParametersFile), Parameters);
            File.WriteAllText(Path.Combine(folder.FullName, MdrpInstanceReader.RestaurantsFile), Restaurants);
            File.WriteAllText(Path.Combine(folder.FullName, MdrpInstanceReader.OrdersFile), Orders);
            File.WriteAllText(Path.Combine(folder.FullName, MdrpInstanceReader.CouriersFile), Couriers);
            string Read(string name) => File.ReadAllText(Path.Combine(folder.FullName, name));

            var instance = MdrpInstanceReader.Parse(
                Read(MdrpInstanceReader.OrdersFile), Read(MdrpInstanceReader.RestaurantsFile),
                Read(MdrpInstanceReader.CouriersFile), Read(MdrpInstanceReader.ParametersFile));

            Assert.Equal(new MdrpParameters(427, 4, 4, 40, 90, 10, 15), instance.Parameters);
            Assert.Equal([new MdrpRestaurant("r1", 1000, 2000), new MdrpRestaurant("r2", 3000, 2500)], instance.Restaurants);
            Assert.Equal([new MdrpOrder("o1", 1500, 2600, 10, 0, 25), new MdrpOrder("o2", 3200, 2900, 12, 1, 30)], instance.Orders);
            Assert.Equal(new MdrpCourier("c1", 500, 700, 0, 90), Assert.Single(instance.Couriers));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_restaurant_names_the_file_and_line()
    {
        var ex = Assert.Throws<FormatException>(() => MdrpInstanceReader.Parse(Orders.Replace("r2", "r9", StringComparison.Ordinal), Restaurants, Couriers, Parameters));
        Assert.Equal("orders.txt line 3: unknown restaurant r9.", ex.Message);
    }

    [Fact]
    public void Non_integer_minutes_are_rejected()
    {
        var ex = Assert.Throws<FormatException>(() => MdrpInstanceReader.Parse(Orders, Restaurants, Couriers.Replace("\t90", "\t90.5", StringComparison.Ordinal), Parameters));
        Assert.Contains("couriers.txt line 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(427, 0, 1)]   // exactly one minute
    [InlineData(428, 0, 2)]   // one metre more rounds up
    [InlineData(300, 400, 2)] // 500 m
    public void Travel_time_is_the_ceiling_of_distance_over_speed(double dx, double dy, int minutes)
    {
        var instance = MdrpInstanceReader.Parse(Orders, Restaurants, Couriers, Parameters);
        Assert.Equal(minutes, instance.TravelMinutes(1000, 1000, 1000 + dx, 1000 + dy));
    }
}
